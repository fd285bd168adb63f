// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

import { VaultBase, Errors } from "../VaultBase.t.sol";

contract TransferOwnership_Unit_Test is VaultBase {
    function test_RevertWhen_CallerNotOwner() external {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        vault.transferOwnership(eve);
        assertEq(vault.pendingOwner(), address(0));
    }

    /// @dev The zero address is refused rather than taken as a silent cancel: a pending proposal stays.
    function test_RevertWhen_NewOwnerIsZero() external {
        vm.prank(owner);
        vault.transferOwnership(bob);
        vm.expectRevert(Errors.RoyaltyVault_ZeroOwner.selector);
        vm.prank(owner);
        vault.transferOwnership(address(0));
        assertEq(vault.owner(), owner);
        assertEq(vault.pendingOwner(), bob, "proposal kept");
    }

    function test_TransferOwnership_ToTheOwnerCancels() external {
        vm.prank(owner);
        vault.transferOwnership(bob);
        vm.prank(owner);
        vault.transferOwnership(owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, bob));
        vm.prank(bob);
        vault.acceptOwnership();
        assertEq(vault.owner(), owner);
    }
}
