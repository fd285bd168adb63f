// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

import { Base, Errors } from "../utils/Base.t.sol";

contract TransferOwnership_Unit_Test is Base {
    function test_RevertWhen_CallerNotOwner() external {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        registry.transferOwnership(eve);
        assertEq(registry.pendingOwner(), address(0));
    }

    /// @dev The zero address is refused rather than taken as a silent cancel: a pending proposal stays.
    function test_RevertWhen_NewOwnerIsZero() external {
        vm.prank(owner);
        registry.transferOwnership(bob);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroOwner.selector);
        vm.prank(owner);
        registry.transferOwnership(address(0));
        assertEq(registry.owner(), owner);
        assertEq(registry.pendingOwner(), bob, "proposal kept");
    }

    function test_TransferOwnership_ToTheOwnerCancels() external {
        vm.prank(owner);
        registry.transferOwnership(bob);
        vm.prank(owner);
        registry.transferOwnership(owner);
        assertEq(registry.pendingOwner(), owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, bob));
        vm.prank(bob);
        registry.acceptOwnership();
        assertEq(registry.owner(), owner);
    }
}
