// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, IAuthorshipRegistry } from "../utils/Base.t.sol";
import { ERC1271WalletMock } from "../mocks/ERC1271WalletMock.sol";
import { BadMagicWalletMock } from "../mocks/BadMagicWalletMock.sol";

contract CommitBySig_Unit_Test is Base {
    uint256 internal deadline;
    bytes32 internal commitment;

    function setUp() public override {
        super.setUp();
        deadline = START + 1 hours;
        commitment = _commitment(_registration(HASH), alice, SALT);
    }

    function _submit(address author, bytes32 commitment_, bytes memory signature) internal returns (bool) {
        vm.prank(relayer);
        return registry.commitBySig(author, commitment_, deadline, signature);
    }

    function test_CommitTypehash() external view {
        assertEq(registry.COMMIT_TYPEHASH(), keccak256("Commit(bytes32 commitment,address author,uint256 deadline)"));
    }

    function test_HashCommitment_MatchesIndependentDigest() external view {
        assertEq(
            registry.hashCommitment(commitment, alice, deadline),
            _digest(block.chainid, address(registry), _commitStructHash(commitment, alice, deadline))
        );
    }

    /// @dev The relayer pays; the commitment is stored under the author who signed, not under the relayer.
    function test_CommitBySig_Eoa() external {
        bytes memory signature = _signCommitment(alicePk, commitment, alice, deadline);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.Committed(alice, commitment, uint40(START));
        assertTrue(_submit(alice, commitment, signature));
        assertEq(registry.commitmentOf(alice, commitment), START);
        assertEq(registry.commitmentOf(relayer, commitment), 0, "not the relayer's");
        _assertUnregistered(HASH);
    }

    function test_CommitBySig_AtDeadline() external {
        bytes memory signature = _signCommitment(alicePk, commitment, alice, deadline);
        vm.warp(deadline);
        assertTrue(_submit(alice, commitment, signature));
        assertEq(registry.commitmentOf(alice, commitment), deadline);
    }

    function test_CommitBySig_Erc1271Wallet() external {
        ERC1271WalletMock wallet = new ERC1271WalletMock(bob);
        bytes32 walletCommitment = _commitment(_registration(HASH), address(wallet), SALT);
        bytes memory signature = _signCommitment(bobPk, walletCommitment, address(wallet), deadline);
        assertTrue(_submit(address(wallet), walletCommitment, signature));
        assertEq(registry.commitmentOf(address(wallet), walletCommitment), START);
    }

    /// @dev The relayer's retry (or a copy that landed first) changes nothing, and does not move the commitment's
    /// date later, which would weaken the reveal's precedence.
    function test_CommitBySig_ResubmissionIsANoOp() external {
        bytes memory signature = _signCommitment(alicePk, commitment, alice, deadline);
        assertTrue(_submit(alice, commitment, signature));
        vm.warp(START + 10 minutes);
        vm.recordLogs();
        assertFalse(_submit(alice, commitment, signature));
        assertEq(vm.getRecordedLogs().length, 0, "no event");
        assertEq(registry.commitmentOf(alice, commitment), START, "date unchanged");
    }

    /// @dev A commitment the author made directly is live too: a signed copy of it is a no-op.
    function test_CommitBySig_LiveDirectCommitmentIsANoOp() external {
        vm.prank(alice);
        registry.commit(commitment);
        vm.warp(START + 10 minutes);
        assertFalse(_submit(alice, commitment, _signCommitment(alicePk, commitment, alice, deadline)));
        assertEq(registry.commitmentOf(alice, commitment), START);
    }

    function test_RevertWhen_CommitmentIsZero() external {
        bytes memory signature = _signCommitment(alicePk, bytes32(0), alice, deadline);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroCommitment.selector);
        _submit(alice, bytes32(0), signature);
        assertEq(registry.commitmentOf(alice, bytes32(0)), 0);
    }

    function test_RevertWhen_DeadlinePassed() external {
        bytes memory signature = _signCommitment(alicePk, commitment, alice, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_SignatureExpired.selector, deadline, deadline + 1)
        );
        _submit(alice, commitment, signature);
        assertEq(registry.commitmentOf(alice, commitment), 0);
    }

    /// @dev Eve cannot store a commitment under alice's name with her own key.
    function test_RevertWhen_SignedByOtherSigner() external {
        bytes memory signature = _signCommitment(bobPk, commitment, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, bob));
        _submit(alice, commitment, signature);
        assertEq(registry.commitmentOf(alice, commitment), 0);
    }

    function test_RevertWhen_SignedForOtherCommitment() external {
        bytes32 other = _commitment(_registration(OTHER_HASH), alice, SALT);
        bytes memory signature = _signCommitment(alicePk, other, alice, deadline);
        vm.expectPartialRevert(Errors.AuthorshipRegistry_InvalidSigner.selector);
        _submit(alice, commitment, signature);
        assertEq(registry.commitmentOf(alice, commitment), 0);
    }

    /// @dev A signature that names alice as the author cannot store the commitment under anyone else.
    function test_RevertWhen_SubmittedForOtherAuthor() external {
        bytes memory signature = _signCommitment(alicePk, commitment, alice, deadline);
        vm.expectPartialRevert(Errors.AuthorshipRegistry_InvalidSigner.selector);
        _submit(bob, commitment, signature);
        assertEq(registry.commitmentOf(bob, commitment), 0);
    }

    function test_RevertWhen_HighSMalleableForm() external {
        (bytes memory twin, bytes32 highS) = _highS(_signCommitment(alicePk, commitment, alice, deadline));
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_MalleableSignature.selector, alice, highS));
        _submit(alice, commitment, twin);
        assertEq(registry.commitmentOf(alice, commitment), 0);
    }

    function test_RevertWhen_WalletAnswersWrongMagicValue() external {
        BadMagicWalletMock wallet = new BadMagicWalletMock();
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_InvalidWalletSignature.selector,
                address(wallet),
                registry.hashCommitment(commitment, address(wallet), deadline)
            )
        );
        _submit(address(wallet), commitment, hex"");
        assertEq(registry.commitmentOf(address(wallet), commitment), 0);
    }
}
